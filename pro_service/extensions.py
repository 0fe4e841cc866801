"""Flask extensions, created unbound and initialised in the factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from pro_service.core.db import Base
from pro_service.core.openapi import ProblemApi

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
api = ProblemApi()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
