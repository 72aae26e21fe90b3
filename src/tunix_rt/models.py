"""Every table's model, imported in one place so Base.metadata knows the whole schema."""

from tunix_rt.datasets.models import Dataset
from tunix_rt.traces.models import Score, Trace
from tunix_rt.tunix.models import TunixRun

__all__ = ["Dataset", "Score", "Trace", "TunixRun"]
