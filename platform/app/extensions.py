"""Flask extensions, created unbound and initialised by the factory."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect  # only Flask-WTF's CSRF protection: no WTForms form is used

from konsey.api.base import KonseyApi

babel = Babel()
login_manager = LoginManager()
migrate = Migrate()
csrf = CSRFProtect()
api = KonseyApi()
