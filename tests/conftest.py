"""Hypothesis profiles: "quick" for everyday runs and CI (the default), "thorough" for a long
search. Choose with HYPOTHESIS_PROFILE=thorough python -m pytest."""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "quick",
    max_examples=25,
    deadline=None,  # pure-Python networks are slow on a loaded machine; time is not a property
    derandomize=bool(os.environ.get("CI")),  # CI: the same examples every run
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))
