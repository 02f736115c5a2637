"""Post an admin change form as the office would: every field as the page shows it, a few changed."""
from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """Collect the values a browser would submit from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = name
            self.data.setdefault(name, []).append("")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def change_form_data(client, url: str) -> dict:
    """Return the change form at `url` as POST data (textarea values lose one leading newline, as browsers do)."""
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {}
    for name, values in parser.data.items():
        values = [v[1:] if v.startswith("\n") else v for v in values]
        data[name] = values if len(values) > 1 else values[0]
    return data
