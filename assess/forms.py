"""Forms and field rules shared by several blueprints (each blueprint keeps its own forms)."""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from . import passwords

MIN_PASSWORD = passwords.MIN_LENGTH


MAX_USERNAME = 80


def strip(value: object) -> object:
    """A field filter: surrounding spaces are never meant (names pasted from elsewhere)."""
    return value.strip() if isinstance(value, str) else value


def required() -> DataRequired:
    return DataRequired(message=_l("Fill in this field."))


def username_validators() -> list:
    """One rule for user names wherever they are created (setup, administration)."""
    return [
        required(),
        Length(min=2, max=80, message=_l("Use 2 to 80 characters.")),
        Regexp(r"^[\w.@-]+$", message=_l("Use only letters, digits and the characters . _ - @ (no spaces).")),
    ]


def password_policy(form: FlaskForm, field: Field) -> None:
    """The password policy; the form's user name and name count as easy guesses."""
    names = ("username", "display_name")
    context = tuple(str(getattr(form, name).data or "") for name in names if hasattr(form, name))
    if not context and g.get("user"):  # changing one's own password
        context = tuple(str(g.user[name] or "") for name in names)
    found = passwords.problem(field.data or "", context=context)
    if found == "short":
        raise ValidationError(_("The password must be at least %(n)d characters long.", n=MIN_PASSWORD))
    if found == "long":
        raise ValidationError(_("The password can be at most %(n)d characters long.", n=passwords.MAX_LENGTH))
    if found == "guessable":
        raise ValidationError(
            _(
                "This password is too easy to guess: it is a common password or a simple pattern. "
                "A few unrelated words in a row make a good password."
            )
        )


def password_validators() -> list:
    return [required(), password_policy]


def confirm_validators() -> list:
    return [required(), EqualTo("password", message=_l("The passwords differ."))]


class ConfirmForm(FlaskForm):
    """A form with only its CSRF token, for one-button actions (confirm, remove, end, disable)."""
