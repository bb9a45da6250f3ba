if address :all :contains ["to", "cc", "bcc", "resent-to", "resent-cc", "resent-bcc",
                           "from", "sender", "resent-from", "resent-sender", "reply-to"]
    "example.org" { keep; }
