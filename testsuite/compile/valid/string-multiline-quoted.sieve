require "reject";
# A quoted string may contain line breaks (quoted-safe includes CRLF).
reject "Your message was refused.
Please contact the postmaster.";
