// After a passkey is registered (django-otp-webauthn's own event), go on to the next step of setting up.
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.assign(document.getElementById("staff-auth-passkey").dataset.doneUrl);
});
