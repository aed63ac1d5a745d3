"""Who may do what while starting: every logged-in person has their own welcome and reads
and acknowledges their district's standards for themselves."""

from hilfenetz.accounts.rules import is_authenticated
from hilfenetz.core.predicates import rule

rule("engagement.welcome", is_authenticated)
rule("engagement.acknowledge", is_authenticated)
