"""Settings for the calcinosis cutis case registry.

Everything that differs between a laptop and a deployment is read from the
environment (see README, "Configuration"). DEBUG is off unless asked for;
with DEBUG off there is no fallback SECRET_KEY or ALLOWED_HOSTS.
"""

from pathlib import Path

import dj_database_url

from registry.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)

if DEBUG:
    SECRET_KEY = envstr("SECRET_KEY", "insecure-local-development-key-never-deploy-this")
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
else:
    SECRET_KEY = envstr("SECRET_KEY", None)
    ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", None)
    if SECRET_KEY.startswith("change-me") or len(SECRET_KEY) < 32:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY is a placeholder or too short: set a long random value.")

CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/calcinosis_registry"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The registry runs on PostgreSQL only: DATABASE_URL must be postgres://…")
# The registry's queries are short OLTP-style lookups; PostgreSQL's JIT compiler spent
# about half a second compiling the EXISTS filters of a 100,000-case list for nothing.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"


# Streaming replicas of the primary (comma-separated URLs like DATABASE_URL; none by default). A request
# that only reads, outside the admin, from a client that has not written in the last READ_YOUR_WRITES_SECONDS
# reads from one of them (registry/middleware.py); every write and everything else stays on the primary.
def _replica(number: int, url: str) -> dict:
    replica = dj_database_url.parse(url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True)
    if not replica["ENGINE"].endswith("postgresql"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"DATABASE_REPLICA_URLS: replica {number} must be a postgres://… URL")
    replica.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Under test a replica is the test database itself: Django points the alias there instead of creating one.
    replica["TEST"] = {"MIRROR": "default"}
    return replica


for _number, _url in enumerate(envlist("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{_number}"] = _replica(_number, _url)
REPLICA_DATABASES = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["registry.router.ReplicaRouter"]
# How long after a write a client's reads stay on the primary: longer than the replicas' lag.
READ_YOUR_WRITES_SECONDS = envint("READ_YOUR_WRITES_SECONDS", 10)
if READ_YOUR_WRITES_SECONDS < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"READ_YOUR_WRITES_SECONDS must be 0 or more, not {READ_YOUR_WRITES_SECONDS}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pgtrigger",
    "pghistory",
    "axes",
    "django_countries",
    "cases",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: chooses a replica or the primary for the whole request.
    "registry.middleware.ReadReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Puts the acting user into every audit row written during the request.
    "pghistory.middleware.HistoryMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"
WSGI_APPLICATION = "registry.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# One cache for every gunicorn worker and host once REDIS_URL is set (redis://host:6379/0): the API's per-user
# rate limit and the read-your-writes marks of token clients are counted once, not once per worker. Without
# it each worker keeps its own in memory: right for one worker, N times the rate limit for N workers.
REDIS_URL = envstr("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("REDIS_URL must be a redis://…, rediss://… or unix://… URL")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "registry",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "registry.auth_backends.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one
# username from one address, that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "registry.lockout.lockout_response"
# The address the lockout counts by; the API's rate limit uses the same function.
AXES_CLIENT_IP_CALLABLE = "registry.client_address.client_address"
AXES_VERBOSE = False
# The failures are counted in PostgreSQL, a row per username and address incremented under a row lock (and read
# from the primary, registry/router.py): one exact count for every worker and host, with or without Redis.
# The cache handler would count per worker with the local-memory cache and forget on a Redis restart.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = envstr("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/cases/"
LOGOUT_REDIRECT_URL = "login"

REST_FRAMEWORK = {
    # Token first, so that a request without credentials gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Case documents are nested JSON; a form post could not carry their child lists.
    "DEFAULT_PARSER_CLASSES": ["api.parsers.TextJSONParser"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerUserRateThrottle"],
}
# The browser's case list, the cohort page and the admin count a selection this far and then say
# "more than" it (cases/paging.py): an exact count of a million filtered cases takes seconds.
CASE_COUNT_CAP = envint("CASE_COUNT_CAP", 10_000)
# Statistics of one page (the cohort page's charts) run at once, each on a database connection of its own:
# this many at most per request (1: one after another). Each is a PostgreSQL backend, so about the
# database server's cores; the connections count against its max_connections.
PARALLEL_READS = envint("PARALLEL_READS", 4)
# How long a token from POST /api/v1/auth/token/ stays valid.
API_TOKEN_TTL_HOURS = envint("API_TOKEN_TTL_HOURS", 24 * 7)

# Import of cases (cases/imports/): the largest upload, and the most its zip may unpack to (a zip bomb is
# refused from the sizes its directory states, before anything is inflated). Uploads are streamed to a
# temporary file (cases/imports/uploads.py), so FILE_UPLOAD_MAX_MEMORY_SIZE keeps its default.
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_BYTES", 32_000_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_UNCOMPRESSED_BYTES", 300_000_000)
# Requests per user and period before the API answers 429 ("1200/min", "50000/day").
API_RATE_LIMIT = envstr("API_RATE_LIMIT", "1200/min")

SPECTACULAR_SETTINGS = {
    "TITLE": "Calcinosis Cutis Case Registry API",
    # The header of /api/v1/docs/ (Markdown): where the whole reference is, and how to start.
    "DESCRIPTION": (
        "The registry's API for researchers' scripts and other tools.\n\n"
        "**Reference: `docs/api.md`** in the registry's source: every endpoint, case document field, filter with its "
        "values, code list, error, export and statistic, pagination, and what researchers see of a case "
        "(de-identification). Changes before 1.0 are listed in the source's `CHANGELOG.md`.\n\n"
        "[`GET /api/v1/`](/api/v1/) lists the endpoints and [`GET /api/v1/vocabularies/`](/api/v1/vocabularies/) "
        "the code lists. Scripts send `Authorization: Token <token>`, from `POST /api/v1/auth/token/`; here the "
        "browser's login is used."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # docs/api.md: every endpoint requires authentication, the schema and its docs page too.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from this server (drf-spectacular-sidecar), not from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.choices.CaseStatus",
        "FeatureStatusEnum": "cases.models.choices.FeatureStatus",
        "LateralityEnum": "cases.models.choices.Laterality",
        "EyeLateralityEnum": "cases.models.choices.EyeLaterality",
        "CriteriaStatusEnum": "cases.models.criteria.CRITERIA_STATUS_CHOICES",
    },
}

# pghistory: audit rows carry the acting user; the context is stored as JSON
# on each event so the history can be read without a join.
PGHISTORY_DEFAULT_TRACKERS = None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # Django's own loggers keep their default levels unless told: LOG_LEVEL=ERROR must also quiet
    # the warning Django logs for every 404 and 400.
    "loggers": {"django": {"level": envstr("LOG_LEVEL", "INFO")}},
}

# --- Security -----------------------------------------------------------------
# Production defaults follow DEBUG: with DEBUG off every protection is on unless
# an environment variable says otherwise (e.g. SECURE_SSL_REDIRECT=0 when a proxy
# that already redirects terminates TLS).
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# How many reverse proxies we run in front of gunicorn, each appending to X-Forwarded-For: the client's
# address is that many entries from the right. 0 (no proxy): X-Forwarded-For is ignored, REMOTE_ADDR counts.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"TRUSTED_PROXY_COUNT must be 0 or more, not {TRUSTED_PROXY_COUNT}")
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after this much inactivity: every request pushes the expiry forward.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"] = {"min_length": 12}

# Content-Security-Policy (django-csp): scripts and everything else only from this
# server, so injected markup cannot run code. Inline style attributes stay allowed:
# the admin and the API docs page use them, and a style cannot run code.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
