"""Loading: read the scenario, its fleet and the catalogues, and check them against each other.

The stage's only job is to turn files into validated, frozen objects (Scenario, Catalogue) or a
list of problems naming file, field and fix. Later stages trust what it hands over.
"""

from fleet_planner.loading.catalogue import Catalogue, load_catalogue
from fleet_planner.loading.checked import load_and_check
from fleet_planner.loading.scenario import load_scenario

__all__ = ["Catalogue", "load_and_check", "load_catalogue", "load_scenario"]
