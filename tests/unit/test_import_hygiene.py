"""The SOP rules, the store and the services never pull in Textual (DESIGN.md convention 1)."""

import subprocess
import sys


def test_services_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import sopdesk.services.inbox, sopdesk.services.today, sopdesk.services.customers\n"
        "import sopdesk.services.funnel, sopdesk.services.session, sopdesk.store.models\n"
        "import sopdesk.sop.sla, sopdesk.sop.funnel, sopdesk.sop.geo\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
