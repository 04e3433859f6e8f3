"""Beatbook's one settings module.

Every value comes from the environment: see docs/configuration.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from beatbook.core.env import env_bool, env_float, env_int, env_list, env_secret, env_str
from beatbook.core.paths import data_dir, generated_secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY") or generated_secret_key(DATA_DIR)
SECRET_KEY_IS_GENERATED = not (env_secret("SECRET_KEY"))
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin, let in by Beatbook's one staff check (beatbook.accounts.access).
    "beatbook.accounts.admin_config.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # In layer order (docs/architecture.md): foundation, domain apps, then composition.
    "beatbook.core",
    "beatbook.ui",
    "beatbook.records",
    "beatbook.places",
    "beatbook.opendata",
    "beatbook.accounts",
    "beatbook.teams",
    "beatbook.enquiries",
    "beatbook.operations",
    "beatbook.policeapi",
    "beatbook.insights",
    "beatbook.tasking",
    "beatbook.surveys",
    "beatbook.partnerships",
    "beatbook.residents",
    "beatbook.workspace",
    "beatbook.site",
    "beatbook.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The content security policy (CONTENT_SECURITY_POLICY below) on every response.
    "csp.middleware.CSPMiddleware",
    # NUL characters (which PostgreSQL cannot store) and over-large form bodies: a clear 400
    # for every route, before static files, sessions, the rate limit or any view.
    "beatbook.site.middleware.RequestInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # The open API's request-line limit, rate limit and CORS (only under /api/ and /postcodes/).
    "beatbook.policeapi.middleware.OpenApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Axes must come last so that it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "beatbook.urls"
WSGI_APPLICATION = "beatbook.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "beatbook.ui.context_processors.site",
                "beatbook.tasking.tasking_nav.tasking_navigation",
                "beatbook.partnerships.partnership_nav.partnership_navigation",
            ],
        },
    },
]


def _database_config() -> dict[str, object]:
    url = env_secret("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'beatbook.sqlite3'}"
    try:
        config: dict[str, object] = dict(
            # Keep connections between requests: opening one (and, on SQLite, setting its
            # pragmas) costs milliseconds that a small API answer should not pay each time.
            dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None
    engine = str(config.get("ENGINE", ""))
    if engine.endswith("sqlite3"):
        config["OPTIONS"] = {
            # WAL lets the web workers read while an import writes; IMMEDIATE avoids
            # "database is locked" upgrades from read to write inside a transaction. Sorts
            # (index builds after a bulk load, big ORDER BYs) stay in memory, not temp files.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; "
                "PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
        Path(str(config["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    elif "postgresql" not in engine:
        raise ImproperlyConfigured("DATABASE_URL must name a SQLite or PostgreSQL database")
    return config


DATABASES = {"default": _database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/staff/"
LOGOUT_REDIRECT_URL = "/"

# Brute-force protection for every login form, the admin's included.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The one client-address reader (behind a trusted proxy, the address the proxy forwarded).
AXES_CLIENT_IP_CALLABLE = "beatbook.core.clients.sign_in_client_address"
AXES_LOCKOUT_TEMPLATE = "site/locked_out.html"
AXES_ENABLED = env_bool("LOGIN_PROTECTION_ENABLED", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the app folders so that `beatbook serve` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12, minimum=1) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
# The proxy's header is trusted only when there is a proxy to set it (anyone can send it).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
# HTTPS behind that proxy: plain HTTP redirected to it, and browsers told to keep to it (HSTS,
# sent on HTTPS answers only). The open API and postcode look-ups answer on either scheme:
# police.uk clients use http:// base URLs and POST polygons, which a redirect would turn into
# bodiless GETs; they carry no cookies and nothing private. Checks beatbook.E302 and W301-W304
# refuse or warn about combinations that cannot work.
SECURE_SSL_REDIRECT = env_bool("REDIRECT_TO_HTTPS", False)
SECURE_REDIRECT_EXEMPT = [r"^api/", r"^postcodes/"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)

# By default no e-mail is set up: the outbox keeps residents' e-mails (printing nothing) until
# a real backend is named; `beatbook serve` refuses the console and dummy backends (E201).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "beatbook.enquiries.mail.HoldBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Beatbook <no-reply@beatbook.invalid>")
# Where django.core.mail.backends.filebased.EmailBackend writes each message as a file.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "sent-emails"))

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Maps: OpenStreetMap's standard tiles by default, fetched by the residents' browsers (never by
# this server), with the attribution its licence asks for. MAP_TILE_URL="" or "none" turns tiles
# off: boundaries and points then draw on a plain background, as they do when tiles fail to load.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
_TILE_URL = env_str("MAP_TILE_URL", OSM_TILE_URL).strip()
MAP_TILE_URL = "" if _TILE_URL.lower() in {"", "none"} else _TILE_URL
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", OSM_ATTRIBUTION if MAP_TILE_URL == OSM_TILE_URL else ""
)


def _tile_source(url: str) -> list[str]:
    """The origin of a tile URL template for the policy: ``{s}.tile.example.org`` -> ``*.``."""
    if not url:
        return []
    parts = urlsplit(url)
    host = re.sub(r"^\{[a-z]+\}\.", "*.", parts.hostname or "")
    if parts.scheme not in {"https", "http"} or not host or "{" in host:
        raise ImproperlyConfigured(
            f"MAP_TILE_URL must be an http(s) URL template with a fixed host, not {url!r}"
        )
    port = f":{parts.port}" if parts.port else ""
    return [f"{parts.scheme}://{host}{port}"]


# Content security policy: this site's own scripts, styles, images and fonts only (no inline
# script or style anywhere: pages carry data in data-* attributes and JSON script blocks), plus
# the map tile server's images when one is configured. With tiles, Leaflet also sets a tile it
# stops loading (one scrolled out of view) to a blank data: image, so data: images are let in then.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *_tile_source(MAP_TILE_URL), *(["data:"] if MAP_TILE_URL else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Analysis: a local harm-weights table (CSV, shaped like the packaged one) in its place.
HARM_WEIGHTS_FILE = env_str("HARM_WEIGHTS_FILE", "")

# Perception surveys (issue 17): a share is not published when fewer than SUPPRESS_BELOW people
# in the area answered the question, and is flagged as small when the effective sample size
# (Kish's, after weighting) is below FLAG_BELOW.
SURVEY_SUPPRESS_BELOW = env_int("BEATBOOK_SURVEY_SUPPRESS_BELOW", 30, minimum=1)
SURVEY_FLAG_BELOW = env_int("BEATBOOK_SURVEY_FLAG_BELOW", 100, minimum=1)

# Tasking's patrol plans (issue 15): the planner's rules and the fairness caps a plan is made
# with (docs/configuration.md says what each does).
PATROL_PLACES = env_int("BEATBOOK_PATROL_PLACES", 200, minimum=1)
PATROL_SHIFT_CAP = env_int("BEATBOOK_PATROL_SHIFT_CAP", 2, minimum=1)
PATROL_WEEK_CAP = env_int("BEATBOOK_PATROL_WEEK_CAP", 6, minimum=1)
PATROL_VISIT_MINUTES = env_int("BEATBOOK_PATROL_VISIT_MINUTES", 15, minimum=1)
PATROL_MIN_GAP_MINUTES = env_int("BEATBOOK_PATROL_MIN_GAP_MINUTES", 60, minimum=0)
PATROL_SPEED_KMH = env_float("BEATBOOK_PATROL_SPEED_KMH", 20.0)
PATROL_TIME_LIMIT = env_int("BEATBOOK_PATROL_TIME_LIMIT", 10, minimum=1)

try:
    PATROL_REPEAT_VALUES = tuple(
        float(v) for v in env_list("BEATBOOK_PATROL_REPEAT_VALUES", ["1", "0.5", "0.25"])
    )
except ValueError:
    raise ImproperlyConfigured(
        "BEATBOOK_PATROL_REPEAT_VALUES must be numbers separated by commas, like 1,0.5,0.25"
    ) from None
if PATROL_SPEED_KMH <= 0:
    raise ImproperlyConfigured("BEATBOOK_PATROL_SPEED_KMH must be more than 0")
if not PATROL_REPEAT_VALUES or any(v < 0 for v in PATROL_REPEAT_VALUES):
    raise ImproperlyConfigured(
        "BEATBOOK_PATROL_REPEAT_VALUES must be one or more numbers of 0 or more"
    )

# Surveys (issue 17): how many answer sets one address may send by open link (a leaky bucket,
# ``survey:<address>``): this many at once, then this many more an hour. Invitation links are
# not limited (each answers once).
SURVEY_RATE_PER_HOUR = env_float("BEATBOOK_SURVEY_RATE_PER_HOUR", 10.0)
SURVEY_RATE_BURST = env_int("BEATBOOK_SURVEY_RATE_BURST", 10, minimum=1)
if SURVEY_RATE_PER_HOUR <= 0:
    raise ImproperlyConfigured("BEATBOOK_SURVEY_RATE_PER_HOUR must be more than 0")

# The open API (police.uk-compatible, under /api/).
API_AREA_LIMIT = env_int("API_AREA_LIMIT", 10_000, minimum=1)
API_RATE_LIMIT_ENABLED = env_bool("API_RATE_LIMIT_ENABLED", True)
API_RATE_LIMIT_PER_SECOND = env_float("API_RATE_LIMIT_PER_SECOND", 15.0)
API_RATE_LIMIT_BURST = env_int("API_RATE_LIMIT_BURST", 30, minimum=1)
API_TRUST_X_FORWARDED_FOR = env_bool("API_TRUST_X_FORWARDED_FOR", False)
API_RESPONSE_CACHE_MB = env_int("API_RESPONSE_CACHE_MB", 64, minimum=0)
if API_RATE_LIMIT_PER_SECOND <= 0:
    raise ImproperlyConfigured("API_RATE_LIMIT_PER_SECOND must be more than 0")

# The police.uk ingest: what one CSV, or one zip member, may expand to. A month of the busiest
# force is a few tens of MB, and police.uk's files compress 5 to 26 times; a zip bomb of blank
# lines compresses about 1,000 times.
INGEST_MAX_FILE_MB = env_int("INGEST_MAX_FILE_MB", 256, minimum=1)
INGEST_MAX_COMPRESSION_RATIO = env_float("INGEST_MAX_COMPRESSION_RATIO", 100.0)
if INGEST_MAX_COMPRESSION_RATIO < 1:
    raise ImproperlyConfigured("INGEST_MAX_COMPRESSION_RATIO must be at least 1")

# The demo data set: loaded by `beatbook demo`.
DEMO_ADMIN_USERNAME = "demo-admin"
