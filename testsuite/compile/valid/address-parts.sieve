if address :all :is "from" "a@example.org" { keep; }
if address :localpart :is "from" "postmaster" { keep; }
if address :domain :is ["from", "sender", "reply-to"] "example.org" { keep; }
if address :is :domain "To" "example.org" { keep; }
if address "to" "a@example.org" { keep; }
