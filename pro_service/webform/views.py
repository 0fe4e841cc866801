"""Web form pages under /s/<token>."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("webform", __name__, url_prefix="/s", template_folder="templates",
               static_folder="static", static_url_path="/static")
