"""autocomplete-valid: autocomplete attributes hold values the HTML standard defines."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import attr_text, input_type, is_hidden, is_inert_container, normalise
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten

# HTML Living Standard, "Autofill": field names that stand alone, and those that may take a contact qualifier.
STANDALONE_FIELDS: frozenset[str] = frozenset(
    """
    name honorific-prefix given-name additional-name family-name honorific-suffix nickname username new-password
    current-password one-time-code organization-title organization street-address address-line1 address-line2
    address-line3 address-level4 address-level3 address-level2 address-level1 country country-name postal-code
    cc-name cc-given-name cc-additional-name cc-family-name cc-number cc-exp cc-exp-month cc-exp-year cc-csc cc-type
    transaction-currency transaction-amount language bday bday-day bday-month bday-year sex url photo
    """.split()
)
CONTACT_FIELDS: frozenset[str] = frozenset(
    """
    tel tel-country-code tel-national tel-area-code tel-local tel-local-prefix tel-local-suffix tel-extension email
    impp
    """.split()
)
CONTACT_QUALIFIERS: frozenset[str] = frozenset({"home", "work", "mobile", "fax", "pager"})
ADDRESS_TYPES: frozenset[str] = frozenset({"shipping", "billing"})
#: Values that only switch autofill on or off: "on", "off" and the spellings axe-core accepts as such.
STATE_VALUES: frozenset[str] = frozenset({"on", "off", "none", "false", "true", "disabled", "enabled", "undefined",
                                          "null"})
#: Values axe-core reports as needs review: no standard token exists for them.
NO_STANDARD_TOKEN: frozenset[str] = frozenset({"text", "pronouns", "gender", "message", "content"})

#: Common home-made values and the standard token they mean.
SUGGESTIONS: dict[str, str] = {
    "postcode": "postal-code", "post-code": "postal-code", "postal": "postal-code", "zip": "postal-code",
    "zipcode": "postal-code", "zip-code": "postal-code", "postal_code": "postal-code", "plz": "postal-code",
    "firstname": "given-name", "first-name": "given-name", "first_name": "given-name", "fname": "given-name",
    "forename": "given-name", "lastname": "family-name", "last-name": "family-name", "last_name": "family-name",
    "lname": "family-name", "surname": "family-name", "fullname": "name", "full-name": "name",
    "phone": "tel", "telephone": "tel", "phone-number": "tel", "mobile": "tel", "e-mail": "email", "mail": "email",
    "email-address": "email", "birthday": "bday", "dob": "bday", "birthdate": "bday", "date-of-birth": "bday",
    "address": "street-address", "street": "address-line1", "city": "address-level2", "town": "address-level2",
    "state": "address-level1", "county": "address-level1", "region": "address-level1", "company": "organization",
    "card-number": "cc-number", "cardnumber": "cc-number", "credit-card": "cc-number", "expiry": "cc-exp",
    "cvv": "cc-csc", "cvc": "cc-csc", "password": "current-password",
}

_NOT_FIELDS = ("hidden", "submit", "reset", "button", "image")


def is_valid_autocomplete(value: str) -> bool:
    """True when `value` follows the HTML autofill grammar: "on"/"off" (or a value axe-core treats as such), or
    [section-*] [shipping|billing] (field | [home|work|mobile|fax|pager] contact-field) [webauthn]."""
    tokens = value.lower().split()
    if not tokens:
        return True
    if len(tokens) == 1 and tokens[0] in STATE_VALUES:
        return True
    if tokens[-1] == "webauthn":
        tokens.pop()
        if not tokens:
            return False
    if tokens and tokens[0].startswith("section-") and len(tokens[0]) > len("section-"):
        tokens.pop(0)
    if tokens and tokens[0] in ADDRESS_TYPES:
        tokens.pop(0)
    if len(tokens) == 2 and tokens[0] in CONTACT_QUALIFIERS:
        return tokens[1] in CONTACT_FIELDS
    return len(tokens) == 1 and (tokens[0] in STANDALONE_FIELDS or tokens[0] in CONTACT_FIELDS)


def autocomplete_fields(page: StaticPage) -> Iterator[Tag]:
    """Fields whose autocomplete matters: enabled, not hidden <input> (not buttons), <select> and <textarea>."""
    for el in page.soup.find_all(["input", "select", "textarea"]):
        if el.name == "input" and input_type(el) in _NOT_FIELDS:
            continue
        if el.has_attr("disabled") or (attr_text(el, "aria-disabled") or "").strip().lower() == "true":
            continue
        if is_inert_container(el) or is_hidden(el):
            continue
        yield el


@check(
    id="autocomplete-valid",
    title="Autocomplete values are valid",
    failure_title="Autocomplete values are not valid",
    severity=Severity.SERIOUS,
    wcag=("1.3.5",),
    personas=(Persona.COGNITIVE, Persona.MOTOR, Persona.SCREEN_READER),
    how_to_fix='Use the standard tokens: autocomplete="given-name", "family-name", "email", "tel", '
    '"street-address", "postal-code", "country-name", "cc-number", "bday"... or "off"; never home-made values.',
    roles={Persona.COGNITIVE: "S", Persona.MOTOR: "S", Persona.SCREEN_READER: "M"},  # IMPACT.md section 4
)
def autocomplete_valid(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every non-blank `autocomplete` attribute on an enabled, visible `<input>` (other than
    buttons and hidden inputs), `<select>` or `<textarea>` follows the autofill grammar of the HTML standard:
    an optional `section-*` token, an optional `shipping`/`billing`, then one field name (`name`, `email`,
    `postal-code`, `cc-number`...) or a contact qualifier (`home`, `work`, `mobile`, `fax`, `pager`) with a
    contact field (`tel`, `email`...), then optionally `webauthn`; or just `on`/`off`. Like axe-core, the
    values "none", "false", "disabled" and the like are accepted as meaning off, and the values "text",
    "pronouns", "gender", "message" and "content", for which no standard token exists, are needs review.
    Who it affects: browsers and assistive tools cannot fill in or mark up the field (icons, familiar words),
    so people with memory, language or motor impairments must type everything themselves.
    How to fix: `autocomplete="postal-code"` rather than `"postcode"` or `"zip"`; separate tokens with spaces.
    References: WCAG 1.3.5 Identify Input Purpose (technique H98; section 7 Input Purposes); HTML Living Standard
    "Autofill"; axe-core rule autocomplete-valid; ACT rule 73f2c2.
    """
    for el in autocomplete_fields(page):
        value = normalise(attr_text(el, "autocomplete"))
        if not value or is_valid_autocomplete(value):
            continue
        lowered = value.lower()
        if lowered in NO_STANDARD_TOKEN:
            yield page.finding(
                el,
                f"The value autocomplete=“{shorten(value, 40)}” is not standard, and no standard token exists for "
                "this kind of field either. Check whether a standard one fits, or remove the attribute.",
                outcome=Outcome.REVIEW,
                value=value,
            )
            continue
        hint = SUGGESTIONS.get(lowered.split()[-1])
        fix = f" (use “{hint}”)" if hint else ""
        yield page.finding(
            el,
            f"Browsers ignore autocomplete=“{shorten(value, 40)}”{fix}: it is not a value the HTML standard "
            "defines, so the field cannot be filled in for the visitor.",
            value=value,
        )
