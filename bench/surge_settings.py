"""Settings for the servers of bench/surge.py and bench/drill.py: bench.settings plus a static folder of the run's own.

The surge serves static files as production does (manifest storage, collectstatic), into a temporary
folder so that no run touches the repository's staticfiles/.
"""
from bench.settings import *  # noqa: F403
from bench.settings import STATIC_ROOT, env

STATIC_ROOT = env.str("BENCH_STATIC_ROOT", default=str(STATIC_ROOT))
