"""From the user's OCTAVE spec and a build config to a training plan."""

from hestai_datagen.spec.config import BuildConfig, load_config
from hestai_datagen.spec.plan import TemplateAllocation, TrainingPlan, make_plan
from hestai_datagen.spec.targets import Section, SpecElement, read_spec, spec_sections

__all__ = [
    "BuildConfig",
    "Section",
    "SpecElement",
    "TemplateAllocation",
    "TrainingPlan",
    "load_config",
    "make_plan",
    "read_spec",
    "spec_sections",
]
