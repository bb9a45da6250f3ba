require ["regex", "fileinto", "variables"];
if header :regex "Subject" "^\\[[A-Za-z0-9-]+\\] " { fileinto "Lists"; }
if address :regex :localpart "from" "^(postmaster|abuse|root)$" { keep; }
if header :regex :comparator "i;octet" "X-Mailer" "Microsoft (Outlook|Exchange)" { keep; }
if header :regex "List-Id" "<([a-z]+)\\.example\\.org>" { fileinto "Lists/${1}"; }
if header :regex "Subject" ["a{2,3}", "[[:digit:]]+", "x|y"] { keep; }
