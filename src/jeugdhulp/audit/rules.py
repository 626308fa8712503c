import rules

from jeugdhulp.accounts.permissions import is_beheerder

# Only a beheerder reads the audit log; nobody adds, changes or deletes through the application.
rules.add_perm("audit.view_auditevent", is_beheerder)
