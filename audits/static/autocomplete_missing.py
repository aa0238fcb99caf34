"""autocomplete-missing: fields that ask for the visitor's own personal data say so with autocomplete."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import attr_text, input_type, normalise
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten
from empathy_audit.audits.static._wording import fold, form_owner, phrase_pattern
from empathy_audit.audits.static.autocomplete_valid import STATE_VALUES, autocomplete_fields, is_valid_autocomplete
from empathy_audit.audits.static.placeholder_only_label import name_without_placeholder

#: Labels that clearly ask for one input purpose of WCAG 2.2 section 7, by token. "strong" purposes are always
#: the visitor's own data; "weak" ones (a bare "Name", "Country", "City") also appear in search filters and
#: admin forms, so they are judged only in a form that also asks for a strong one. Labels are compared whole,
#: folded, without parentheses, "required"/"optional" words and asterisks.
LABEL_PURPOSES: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    # token: (suggested autocomplete value, strong?, label phrases in en, fr, de, es, nl, it, pt)
    "email": ("email", True, (
        "email", "e mail", "email address", "e mail address", "your email", "your email address",
        "your e mail address", "adresse e mail", "adresse email", "adresse électronique", "courriel",
        "votre adresse e mail", "e mail adresse", "ihre e mail adresse", "correo electrónico", "correo",
        "dirección de correo electrónico", "tu correo electrónico", "e mailadres", "emailadres", "uw e mailadres",
        "indirizzo email", "indirizzo e mail", "posta elettronica", "endereço de email", "endereço de e mail",
        "o seu email", "seu email")),
    "tel": ("tel", True, (
        "phone", "telephone", "phone number", "telephone number", "mobile", "mobile number", "mobile phone",
        "your phone number", "contact number", "téléphone", "numéro de téléphone", "portable", "telefon",
        "telefonnummer", "handynummer", "mobilnummer", "teléfono", "número de teléfono", "móvil", "telefoon",
        "telefoonnummer", "mobiel nummer", "telefono", "numero di telefono", "cellulare", "telefone",
        "número de telefone", "telemóvel", "celular")),
    "given-name": ("given-name", True, (
        "first name", "given name", "forename", "first names", "prénom", "vorname", "voornaam", "primeiro nome")),
    "family-name": ("family-name", True, (
        "last name", "surname", "family name", "nom de famille", "nachname", "familienname", "apellido",
        "apellidos", "achternaam", "cognome", "apelido", "sobrenome", "último nome")),
    "name": ("name", False, (
        "name", "full name", "your name", "your full name", "nom", "nom complet", "nom et prénom", "prénom et nom",
        "votre nom", "vollständiger name", "ihr name", "vor und nachname", "nombre", "nombre completo",
        "tu nombre", "su nombre", "naam", "volledige naam", "uw naam", "je naam", "nome", "nome completo",
        "nome e cognome", "il tuo nome", "seu nome", "o seu nome")),
    "street-address": ("street-address", True, (
        "address", "street address", "home address", "postal address", "adresse", "adresse postale", "anschrift",
        "straße und hausnummer", "strasse und hausnummer", "dirección", "dirección postal", "adres", "indirizzo",
        "endereço", "morada")),
    "address-line1": ("address-line1", True, (
        "address line 1", "address 1", "street", "street and number", "house number and street", "rue",
        "numéro et rue", "straße", "strasse", "calle", "calle y número", "straat", "straat en huisnummer", "via",
        "rua")),
    "address-line2": ("address-line2", False, ("address line 2", "address 2", "complément d adresse")),
    "postal-code": ("postal-code", False, (
        "postcode", "post code", "postal code", "zip", "zip code", "zip postal code", "postal zip code",
        "code postal", "postleitzahl", "plz", "código postal", "cap", "codice postale", "cep")),
    "address-level2": ("address-level2", False, (
        "city", "town", "town city", "city town", "ville", "stadt", "ort", "wohnort", "ciudad", "localidad",
        "plaats", "woonplaats", "città", "cidade", "localidade")),
    "address-level1": ("address-level1", False, (
        "state", "county", "province", "state province", "région", "bundesland", "provincia", "estado",
        "provincie", "província")),
    "country": ("country", False, ("country", "country region", "pays", "land", "país", "paese", "nazione")),
    "organization": ("organization", False, (
        "company", "company name", "organisation", "organization", "société", "entreprise", "firma",
        "unternehmen", "empresa", "bedrijf", "bedrijfsnaam", "azienda", "società")),
    "bday": ("bday", True, (
        "date of birth", "birthday", "birth date", "date de naissance", "geburtsdatum", "fecha de nacimiento",
        "geboortedatum", "data di nascita", "data de nascimento")),
    "cc-name": ("cc-name", True, (
        "name on card", "name on the card", "cardholder name", "card holder name", "cardholder", "nom du titulaire",
        "titulaire de la carte", "karteninhaber", "name des karteninhabers", "nombre del titular",
        "titular de la tarjeta", "naam kaarthouder", "titolare della carta", "nome no cartão",
        "titular do cartão")),
    "cc-number": ("cc-number", True, (
        "card number", "credit card number", "debit card number", "numéro de carte", "numéro de la carte",
        "kartennummer", "número de tarjeta", "kaartnummer", "numero della carta", "numero di carta",
        "número do cartão")),
    "cc-exp": ("cc-exp", True, (
        "expiry date", "expiration date", "expiry", "expires", "exp date", "mm yy", "date d expiration",
        "ablaufdatum", "gültig bis", "fecha de caducidad", "fecha de vencimiento", "vervaldatum",
        "data di scadenza", "data de validade")),
    "cc-csc": ("cc-csc", True, (
        "security code", "card security code", "cvc", "cvv", "cvv2", "csc", "cryptogramme", "code de sécurité",
        "prüfnummer", "sicherheitscode", "código de seguridad", "beveiligingscode", "codice di sicurezza",
        "código de segurança")),
}

#: name/id attribute values (folded, camelCase split) that name a purpose, used when the field has no label.
ATTRIBUTE_PURPOSES: dict[str, str] = {
    "email": "email", "e mail": "email", "email address": "email", "emailaddress": "email",
    "phone": "tel", "tel": "tel", "telephone": "tel", "phone number": "tel", "phonenumber": "tel", "mobile": "tel",
    "first name": "given-name", "firstname": "given-name", "fname": "given-name", "given name": "given-name",
    "forename": "given-name", "last name": "family-name", "lastname": "family-name", "lname": "family-name",
    "surname": "family-name", "family name": "family-name", "full name": "name", "fullname": "name",
    "address": "street-address", "street address": "street-address", "address1": "address-line1",
    "address line1": "address-line1", "address 1": "address-line1", "address line 1": "address-line1",
    "postcode": "postal-code", "post code": "postal-code", "postal code": "postal-code", "postalcode": "postal-code",
    "zip": "postal-code", "zipcode": "postal-code", "zip code": "postal-code", "city": "address-level2",
    "town": "address-level2", "country": "country", "company": "organization", "organization": "organization",
    "organisation": "organization", "dob": "bday", "bday": "bday", "birthday": "bday", "birthdate": "bday",
    "date of birth": "bday", "cc number": "cc-number", "ccnumber": "cc-number", "card number": "cc-number",
    "cardnumber": "cc-number", "cc name": "cc-name", "ccname": "cc-name", "cc exp": "cc-exp", "ccexp": "cc-exp",
    "cvv": "cc-csc", "cvc": "cc-csc", "cc csc": "cc-csc",
}
_ATTR_PREFIXES = ("billing ", "shipping ", "customer ", "user ", "contact ", "your ", "delivery ", "account ")

#: Words that show a field asks about someone else (a friend, a gift recipient): then 1.3.5 does not apply.
OTHER_PERSON_WORDS = phrase_pattern((
    "friend", "friend s", "recipient", "recipient s", "colleague", "referee", "reference", "emergency",
    "next of kin", "guardian", "parent", "child", "spouse", "partner s", "their", "someone", "gift", "invitee",
    "manager", "supervisor", "beneficiary", "ami", "amie", "destinataire", "parrain", "filleul", "freund",
    "freundin", "empfänger", "empfängers", "amigo", "amiga", "destinatario", "destinatária", "destinatário",
    "vriend", "vriendin", "ontvanger", "amico", "amica",
))
_QUALIFIER_WORDS = re.compile(
    r"\b(required|optional|mandatory|obligatoire|facultatif|pflichtfeld|erforderlich|obligatorio|opcional|"
    r"verplicht|optioneel|obbligatorio|facoltativo|obrigatório|obrigatorio)\b"
)
_PHRASE_TO_TOKEN: dict[str, str] = {}
for _token, (_suggest, _strong, _phrases) in LABEL_PURPOSES.items():
    for _p in _phrases:
        _PHRASE_TO_TOKEN.setdefault(fold(_p), _token)


#: How a purpose is said in a message.
PURPOSE_WORDS: dict[str, str] = {
    "email": "email address", "tel": "phone number", "given-name": "first name", "family-name": "last name",
    "name": "name", "street-address": "street address", "address-line1": "street address",
    "address-line2": "second address line", "postal-code": "postcode", "address-level2": "town or city",
    "address-level1": "region or state", "country": "country", "organization": "organisation",
    "bday": "date of birth", "cc-name": "name on their card", "cc-number": "card number",
    "cc-exp": "card expiry date", "cc-csc": "card security code",
}


@dataclass
class Purpose:
    token: str  # key of LABEL_PURPOSES
    evidence: str  # what told us: 'its label “Email”', 'type="email"', 'name="postcode"'
    strong: bool


def _clean_label(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text or "")
    return " ".join(_QUALIFIER_WORDS.sub(" ", fold(text)).split())


def _split_attr(value: str) -> str:
    value = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", value or "")
    folded = fold(value)
    for prefix in _ATTR_PREFIXES:
        if folded.startswith(prefix):
            folded = folded[len(prefix):]
    return folded


def purpose_of(el: Tag) -> Purpose | None:
    """The input purpose a field clearly asks for, from its label (or placeholder), its type or its name/id."""
    label = name_without_placeholder(el)
    placeholder = normalise(attr_text(el, "placeholder"))
    said = label or placeholder
    if said and OTHER_PERSON_WORDS.search(fold(said)):
        return None
    token = _PHRASE_TO_TOKEN.get(_clean_label(said)) if said else None
    if token is not None:
        source = "label" if label else "placeholder"
        return Purpose(token, f"its {source} “{shorten(said, 40)}”", LABEL_PURPOSES[token][1])
    kind = input_type(el) if el.name == "input" else ""
    if kind in ("email", "tel"):
        return Purpose(kind, f'type="{kind}"', True)
    if label:
        return None  # a label that names no known purpose wins over name/id guesses
    for attr in ("name", "id"):
        value = attr_text(el, attr)
        if not value or OTHER_PERSON_WORDS.search(fold(value)):
            continue
        token = ATTRIBUTE_PURPOSES.get(_split_attr(value))
        if token is not None:
            return Purpose(token, f'{attr}="{shorten(value, 30)}"', LABEL_PURPOSES[token][1])
    return None


def _suggestion(el: Tag, token: str) -> str:
    if token == "country" and el.name == "input":
        return "country-name"
    return LABEL_PURPOSES[token][0]


def _scope(el: Tag) -> int:
    form = form_owner(el)
    return id(form) if form is not None else 0


def _declared(el: Tag) -> str:
    """The field's own autocomplete value, lower-cased; "" when absent or blank."""
    return normalise(attr_text(el, "autocomplete")).lower()


def _form_off(el: Tag) -> bool:
    form = form_owner(el)
    return form is not None and normalise(attr_text(form, "autocomplete")).lower() == "off"


@check(
    id="autocomplete-missing",
    title="Fields asking for personal data identify their purpose",
    failure_title="Fields asking for personal data do not identify their purpose",
    severity=Severity.MODERATE,
    wcag=("1.3.5",),
    personas=(Persona.COGNITIVE, Persona.MOTOR, Persona.SCREEN_READER),
    how_to_fix='Add the standard autocomplete token to every field about the visitor: autocomplete="email", '
    '"tel", "given-name", "family-name", "street-address", "postal-code", "country", "cc-number", "bday"...',
)
def autocomplete_missing(page: StaticPage) -> Iterator[Finding]:
    """What it checks: enabled, visible fields (`<input>`, `<select>`, `<textarea>`) that clearly ask for the
    visitor's own data, one of the input purposes of WCAG 2.2 section 7 (name, email, telephone, address,
    postcode, city, country, organisation, card name/number/expiry/security code, date of birth), and have no
    `autocomplete` value naming that purpose (missing, blank or "on"). The purpose is read, conservatively, from
    the whole label (or the placeholder when there is no label), compared with a multilingual list
    (LABEL_PURPOSES), then from `type="email"`/`"tel"`, then, for unlabelled fields only, from the `name` or
    `id` ("postcode", "firstName"). Labels that mention someone else ("Friend's email", "Recipient") are
    skipped: 1.3.5 covers data about the user. Purposes that also appear in search filters ("Name", "Country",
    "City", "Postcode") count only in a form that also asks for an email, phone, address, card or birth date.
    A field or form with `autocomplete="off"` is reported as needs review: the purpose is hidden on purpose,
    which 1.3.5 allows only when the field is not about the user. Invalid values are autocomplete-valid's job.
    Who it affects: without the token, browsers cannot fill in the field and assistive tools cannot show
    familiar icons or words, so people with memory, language or motor impairments type everything by hand.
    How to fix: `<input id="pc" name="postcode" autocomplete="postal-code">`.
    References: WCAG 1.3.5 Identify Input Purpose (technique H98; section 7 Input Purposes for User Interface
    Components); HTML Living Standard "Autofill".
    """
    candidates: list[tuple[Tag, Purpose]] = []
    strong_scopes: set[int] = set()
    for el in autocomplete_fields(page):
        if el.has_attr("readonly"):
            continue
        declared = _declared(el)
        if declared and declared not in STATE_VALUES and is_valid_autocomplete(declared):
            strong_scopes.add(_scope(el))  # a field already declares a purpose: the form is about the visitor
            continue
        if declared and not is_valid_autocomplete(declared):
            continue  # autocomplete-valid reports it
        purpose = purpose_of(el)
        if purpose is None:
            continue
        if purpose.strong:
            strong_scopes.add(_scope(el))
        candidates.append((el, purpose))
    for el, purpose in candidates:
        if not purpose.strong and _scope(el) not in strong_scopes:
            continue
        token = _suggestion(el, purpose.token)
        what = PURPOSE_WORDS.get(purpose.token, token)
        declared = _declared(el)
        if (declared and declared != "on") or (not declared and _form_off(el)):
            yield page.finding(
                el,
                f"This field seems to ask for the visitor's {what} ({purpose.evidence}) but autofill is switched "
                f"off: check whether it is about the visitor, and if so use autocomplete=“{token}”.",
                outcome=Outcome.REVIEW,
                purpose=token,
            )
            continue
        yield page.finding(
            el,
            f"Browsers cannot fill in this field for the visitor: it asks for their {what} ({purpose.evidence}) "
            f"but has no autocomplete=“{token}”.",
            purpose=token,
        )
