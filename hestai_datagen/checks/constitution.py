"""Constitution checks: the spec's constitutional constraints, loaded from a rules file.

The rules (``octave_configs/constitution.yaml``) are regular expressions in three categories, each
a check of its own: ``constitution.secret`` (API keys, tokens, private keys, passwords in URLs),
``constitution.personal_data`` (e-mail addresses outside reserved example domains, phone numbers,
card numbers that pass the Luhn checksum) and ``constitution.disallowed_content``. Every string of
the row is scanned; a match rejects the row and the reason names the rule id and the field.
Placeholders (``${VAR}``, ``<token>``, ``xxxx``...) are never secrets or personal data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hestai_datagen.checks.base import Check, Finding
from hestai_datagen.checks.cache import LastRowMemo
from hestai_datagen.checks.content import TextField, text_fields
from hestai_datagen.errors import ConfigError
from hestai_datagen.examples.model import Example

Category = Literal["secret", "personal_data", "disallowed_content"]
Validator = Literal["luhn", "email_domain", "not_fictional_phone"]


class Rule(BaseModel):
    """One rule of the rules file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    category: Category
    description: str
    pattern: str
    prefilter: str | None = None
    value_group: str | None = None
    validator: Validator | None = None


class RulesFile(BaseModel):
    """The rules file as written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    spec_ref: str | None = None
    placeholders: list[str] = Field(default_factory=list)
    reserved_email_domains: list[str] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn checksum."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def is_fictional_phone(text: str) -> bool:
    """Numbers reserved for fiction: NANP 555-0100..0199 and UK drama numbers 020 7946 0xxx."""
    digits = re.sub(r"\D", "", text)
    return bool(re.search(r"55501\d\d$", digits)) or "2079460" in digits


class CompiledRule:
    """A rule with its pattern compiled and its validator bound."""

    def __init__(self, rule: Rule, constitution: Constitution) -> None:
        self.rule = rule
        self.pattern = re.compile(rule.pattern)
        self.prefilter = re.compile(rule.prefilter) if rule.prefilter else None
        if rule.value_group and rule.value_group not in self.pattern.groupindex:
            raise ValueError(f"pattern has no group named {rule.value_group!r}")
        self._constitution = constitution

    def violations(self, text: str) -> Iterator[str]:
        """The matched texts of ``text`` that violate this rule."""
        for match in self.pattern.finditer(text):
            value = match.group(self.rule.value_group) if self.rule.value_group else match.group()
            if value is None:
                continue
            if self.rule.category != "disallowed_content" and self._constitution.is_placeholder(
                value
            ):
                continue
            if self._passes_validator(match.group(), value):
                yield match.group()

    def _passes_validator(self, whole: str, value: str) -> bool:
        validator = self.rule.validator
        if validator == "luhn":
            digits = re.sub(r"\D", "", whole)
            return 13 <= len(digits) <= 19 and luhn_ok(digits)
        if validator == "email_domain":
            return not self._constitution.is_reserved_domain(value)
        if validator == "not_fictional_phone":
            return not is_fictional_phone(whole)
        return True


class Constitution:
    """The loaded rules: compiled patterns, placeholders and reserved e-mail domains."""

    def __init__(self, rules: RulesFile, *, source: str = "<rules>") -> None:
        self.source = source
        self.spec_ref = rules.spec_ref
        try:
            self._placeholders = [re.compile(p) for p in rules.placeholders]
        except re.error as exc:
            raise ConfigError(f"bad placeholder pattern: {exc}", path=source) from None
        self._domains = [d.lower() for d in rules.reserved_email_domains]
        self.rules: list[CompiledRule] = []
        for rule in rules.rules:
            try:
                self.rules.append(CompiledRule(rule, self))
            except (re.error, ValueError) as exc:
                raise ConfigError(f"rule {rule.id}: bad pattern: {exc}", path=source) from None

    @classmethod
    def load(cls, path: Path) -> Constitution:
        """Read and compile a rules file; malformed files raise ``ConfigError``."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(
                f"cannot read constitution rules: {exc.strerror}", path=path
            ) from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"constitution rules are not valid YAML: {exc}", path=path) from None
        try:
            rules = RulesFile.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise ConfigError(
                f"invalid constitution rules at {where}: {first['msg']}", path=path
            ) from None
        return cls(rules, source=str(path))

    def is_placeholder(self, value: str) -> bool:
        """Whether ``value`` is an obvious stand-in rather than real data."""
        return any(p.search(value) for p in self._placeholders)

    def is_reserved_domain(self, domain: str) -> bool:
        """Whether an e-mail domain is reserved for documentation/testing."""
        domain = domain.lower()
        for reserved in self._domains:
            if reserved.startswith("*."):
                if domain.endswith(reserved[1:]):
                    return True
            elif domain == reserved:
                return True
        return False

    def scan(self, example: Example) -> list[Violation]:
        """Every rule the row breaks, once per rule and field.

        Each rule is first tried on all the row's text at once (fields joined by newlines, which
        every rule treats like a text boundary), its prefilter first; only the rules that hit
        are run field by field.
        """
        fields = list(text_fields(example))
        combined = "\n".join(field.text for field in fields)
        found: list[Violation] = []
        for compiled in self.rules:
            if compiled.prefilter is not None and compiled.prefilter.search(combined) is None:
                continue
            if compiled.pattern.search(combined) is None:
                continue
            for field in fields:
                for matched in compiled.violations(field.text):
                    found.append(Violation(compiled.rule, field, matched))
                    break
        return found


@dataclass(frozen=True)
class Violation:
    """One rule broken in one field of a row."""

    rule: Rule
    field: TextField
    matched: str


def _mask(text: str) -> str:
    """A matched secret shortened for a report: enough to find it, not enough to use it."""
    text = " ".join(text.split())
    return text if len(text) <= 8 else f"{text[:6]}…({len(text)} chars)"


class _ConstitutionCheck(Check):
    category: Category

    def __init__(
        self, constitution: Constitution, scans: LastRowMemo[list[Violation]] | None = None
    ) -> None:
        self._scans = scans or LastRowMemo(constitution.scan)

    def run(self, example: Example) -> list[Finding]:
        return [
            self.finding(
                f"rule {v.rule.id} ({v.rule.description}) in {v.field.where}: {_mask(v.matched)}",
                v.field.message_index,
            )
            for v in self._scans.get(example)
            if v.rule.category == self.category
        ]


class Secrets(_ConstitutionCheck):
    id = "constitution.secret"
    category = "secret"
    description = "No secret (API key, token, private key, password in a URL) in any field."


class PersonalData(_ConstitutionCheck):
    id = "constitution.personal_data"
    category = "personal_data"
    description = "No personal data (real e-mail, phone or card number) in any field."


class DisallowedContent(_ConstitutionCheck):
    id = "constitution.disallowed_content"
    category = "disallowed_content"
    description = "No disallowed content (destructive commands, unrendered templates, filler)."


def constitution_checks(constitution: Constitution) -> list[Check]:
    """The three constitution checks, sharing one set of rules."""
    scans: LastRowMemo[list[Violation]] = LastRowMemo(constitution.scan)
    return [
        Secrets(constitution, scans),
        PersonalData(constitution, scans),
        DisallowedContent(constitution, scans),
    ]
