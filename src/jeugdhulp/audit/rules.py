import rules

from jeugdhulp.accounts.permissions import add_admin_module, is_beheerder

# Only a beheerder reads the audit log; nobody adds, changes or deletes through the application.
rules.add_perm("audit.view_auditevent", is_beheerder)
# The audit log is read in the admin: its section is shown to the same people.
add_admin_module("audit", is_beheerder)
