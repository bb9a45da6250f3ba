if header :contains "Subject" "unsubscribe me" { discard; stop; }
