"""Forms for the pages. Their validators speak through Flask-Babel, so errors follow the page language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional


class LoginForm(FlaskForm):
    # No format check on sign-in: the account decides, and the error must not reveal which part was wrong.
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=10, max=200)])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords are not the same."))])


class AcceptInvitationForm(NewPasswordForm):
    display_name = StringField(_l("Your name"), validators=[DataRequired(), Length(min=2, max=200)])


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)])
    council = SelectField(_l("Council"), validators=[DataRequired()])


class OnboardCouncilForm(FlaskForm):
    name = StringField(_l("Council name"), validators=[DataRequired(), Length(min=3, max=200)])
    slug = StringField(_l("Address (slug)"), validators=[Optional(), Length(min=2, max=63)])
    province_code = SelectField(_l("Province"), validators=[DataRequired()])
    municipality_id = SelectField(_l("Municipality"), validators=[DataRequired()], validate_choice=False)
    contact_email = EmailField(_l("Contact e-mail"), validators=[DataRequired(), Email()])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])
    motion_delivery_address = TextAreaField(
        _l("Motion delivery address"), validators=[DataRequired(), Length(min=3, max=500)]
    )
    locale = SelectField(_l("Language"), choices=[SelectChoice("tr", "Türkçe"), SelectChoice("en", "English")])
    timezone = StringField(_l("Time zone"), default="Europe/Istanbul", validators=[DataRequired()])
    admin_email = EmailField(_l("First administrator's e-mail"), validators=[DataRequired(), Email()])


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"))
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
    export_acknowledged = BooleanField(_l("I have downloaded the full export"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
    dry_run = BooleanField(_l("Dry run: check only, import nothing"), default=True)


class InviteForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    role = SelectField(_l("Role"))
