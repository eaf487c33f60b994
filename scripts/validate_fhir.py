"""Validates every FHIR JSON document the tests saved, with an R4 model library that is not
the portal's own (PyPI fhir.resources, its R4B models, which R4 documents satisfy).

Usage: python3 scripts/validate_fhir.py FOLDER
Each *.json in FOLDER is one resource; its resourceType picks the model. Prints one line per
document and exits non-zero if any is invalid.
"""

import importlib
import json
import pathlib
import sys


def model_for(resource_type: str):
    module = importlib.import_module(f"fhir.resources.R4B.{resource_type.lower()}")
    return getattr(module, resource_type)


def main() -> int:
    folder = pathlib.Path(sys.argv[1])
    files = sorted(folder.glob("*.json"))
    if not files:
        print(f"no FHIR documents in {folder}: the tests that save them did not run")
        return 1
    failed = 0
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        try:
            model_for(doc["resourceType"]).model_validate(doc)
            print(f"valid   {path.name} ({doc['resourceType']})")
        except Exception as e:  # noqa: BLE001 - every problem is reported, then the run fails
            failed += 1
            print(f"INVALID {path.name}: {e}")
    print(f"{len(files) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
