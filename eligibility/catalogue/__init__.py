"""The seed catalogue: every benefit of shared/domain with its rules and dated parameters."""
from pathlib import Path

SEED_PATH = Path(__file__).resolve().parent / "catalogue.yaml"
