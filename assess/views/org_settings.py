"""An organisation's settings: its benchmark profile, its consent to the benchmark and its
comparison group invitations. Everyone with access sees them; leads (and administrators)
change them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf, ValidationError

from ..content.profile_classes import ProfileClasses
from ..forms import ConfirmForm
from ..i18n import current_lang
from ..pages.benchmark_data import local_date
from ..security import login_required, require_org
from ..state import get_db, profile_classes
from ..storage import benchmark as store
from ..storage.rows import OrgWithRole

bp = Blueprint("org_settings", __name__)


class ProfileForm(FlaskForm):
    org_type = SelectField(
        _l("Type of organisation"), invalid_choice_message=_l("Choose one of the types listed.")
    )
    size_class = SelectField(
        _l("Size"),
        invalid_choice_message=_l("Choose one of the sizes listed."),
        description=_l(
            "Municipalities by population; other organisations by the value of their procurements a year."
        ),
    )
    region = SelectField(
        _l("Region (optional)"), invalid_choice_message=_l("Choose one of the regions listed.")
    )

    def validate_size_class(self, field: SelectField) -> None:
        classes: ProfileClasses = profile_classes()
        if field.data and not classes.fits(self.org_type.data or None, field.data, None):
            if not self.org_type.data:
                raise ValidationError(
                    _("Choose the type of organisation first: the size is measured by the type.")
                )
            raise ValidationError(
                _(
                    "This size does not fit the type: municipalities are sized "
                    "by population, other organisations by procurement spend."
                )
            )


class ConsentForm(FlaskForm):
    consent = HiddenField(validators=[AnyOf(("give", "withdraw"))])


def _profile_form(form: ProfileForm | None = None, data: dict | None = None) -> ProfileForm:
    classes, lang = profile_classes(), current_lang()
    form = form or ProfileForm(
        formdata=None,
        data={
            "org_type": (data or {}).get("org_type") or "",
            "size_class": (data or {}).get("size_class") or "",
            "region": (data or {}).get("region") or "",
        },
    )
    form.org_type.choices = [("", _("Not given"))] + [(t.id, t.title.get(lang)) for t in classes.types]
    sizes: dict[str, list[tuple[str, str]]] = {
        m.title.get(lang): [(b.id, b.title.get(lang)) for b in m.bands] for m in classes.measures
    }
    form.size_class.choices = {"": [("", _("Not given"))], **sizes}
    form.region.choices = [("", _("Not given"))] + [(r.id, r.title.get(lang)) for r in classes.regions]
    return form


def _labels(prof: dict) -> dict[str, str | None]:
    classes, lang = profile_classes(), current_lang()
    org_type, size, region = (
        classes.type(prof["org_type"]),
        classes.size(prof["size_class"]),
        classes.region(prof["region"]),
    )
    return {
        "type": org_type.title.get(lang) if org_type else None,
        "size": size.title.get(lang) if size else None,
        "region": region.title.get(lang) if region else None,
    }


def _page(org: OrgWithRole, *, profile_form: ProfileForm | None = None, status: int = 200):
    db = get_db()
    prof = store.profile(db, org["id"])
    return render_template(
        "settings/show.html",
        org=org,
        profile=prof,
        labels=_labels(prof),
        profile_form=_profile_form(profile_form, prof),
        consent_form=ConsentForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        groups=store.groups_of(db, org["id"]),
        consent_date=local_date(prof["consent_changed_at"], current_lang()),
        nav_active="org_settings.show",
    ), status


@bp.route("/orgs/<int:org_id>/settings")
@login_required
def show(org_id: int) -> ResponseReturnValue:
    return _page(require_org(org_id))


@bp.route("/orgs/<int:org_id>/settings/profile", methods=["POST"])
@login_required
def save_profile(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    form = _profile_form(ProfileForm())
    if not form.validate():
        return _page(org, profile_form=form, status=400)
    store.save_profile(
        get_db(), org_id, form.org_type.data or None, form.size_class.data or None, form.region.data or None
    )
    flash(_("The profile has been saved."), "success")
    return redirect(url_for("org_settings.show", org_id=org_id))


@bp.route("/orgs/<int:org_id>/settings/consent", methods=["POST"])
@login_required
def consent(org_id: int) -> ResponseReturnValue:
    org = require_org(org_id, lead=True)
    form = ConsentForm()
    if not form.validate():
        abort(400, _("Choose to give or to withdraw the consent."))
    give = form.consent.data == "give"
    changed = store.set_consent(get_db(), org_id, give, g.user["id"])
    if give:
        flash(
            _("Consent given: %(name)s is included in the benchmark from now on.", name=org["name"])
            if changed
            else _("Consent was already given."),
            "success",
        )
    else:
        flash(
            _("Consent withdrawn: %(name)s is no longer included in any benchmark figure.", name=org["name"])
            if changed
            else _("Consent was not given."),
            "success",
        )
    return redirect(url_for("org_settings.show", org_id=org_id))


ANSWERS = {
    "accept": ("member", ("invited",)),
    "decline": ("declined", ("invited",)),
    "leave": ("left", ("member",)),
}


@bp.route("/orgs/<int:org_id>/groups/<int:group_id>/<action>", methods=["POST"])
@login_required
def answer(org_id: int, group_id: int, action: str) -> ResponseReturnValue:
    """Accept or decline an invitation to a comparison group, or leave one."""
    org = require_org(org_id, lead=True)
    if action not in ANSWERS:
        abort(404)
    db = get_db()
    found = store.group(db, group_id)
    if found is None or store.membership(db, group_id, org_id) is None:
        abort(404)
    ConfirmForm().validate()  # only the CSRF token, which CSRFProtect has checked
    status, expected = ANSWERS[action]
    if not store.answer(db, group_id, org_id, status, g.user["id"], expected=expected):
        flash(_("Nothing changed: the invitation had already been answered."), "info")
    elif action == "accept":
        flash(
            _(
                "%(name)s is now a member of %(group)s: its members see each other's results.",
                name=org["name"],
                group=found["name"],
            ),
            "success",
        )
    elif action == "decline":
        flash(_("The invitation to %(group)s was declined.", group=found["name"]), "success")
    else:
        flash(
            _(
                "%(name)s left %(group)s: its results are no longer shown to the group.",
                name=org["name"],
                group=found["name"],
            ),
            "success",
        )
    return redirect(url_for("org_settings.show", org_id=org_id) + "#groups")
