"""Settings for bench/apply.py's server: the portal's own, plus the one-row ceiling view."""
from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
