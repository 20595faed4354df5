"""A nightly job that reports its failure and its duration, as the stimuli guide shows. The only Membrane-specific
line is the import; the bus, its token and this process's source come from MEMBRANE_BUS_URL, MEMBRANE_BUS_TOKEN and
MEMBRANE_SOURCE. The emitter closes (and delivers) when the script exits."""
import sys
import time

from membrane_stimuli import Scope, emit_metric, emit_script_error, get_metrics


def verify_backup(path):
    raise RuntimeError(f"checksum mismatch in {path}: token=k-4411 rejected by the restore check")


started = time.monotonic()
try:
    verify_backup("/var/backups/neo4j/nightly.dump")
except RuntimeError:
    stimulus = emit_script_error(
        source="script:nightly-backup",
        error_message="Nightly database backup job failed its verification",
        scope=Scope.PERSONAL,
        exc_info=sys.exc_info(),
    )
    print(f"stimulus {stimulus}")

stimulus = emit_metric(source="script:nightly-backup", metric_name="backup.verify_seconds",
                       value=round(time.monotonic() - started, 3), scope=Scope.PERSONAL)
print(f"stimulus {stimulus}")
print(get_metrics())
