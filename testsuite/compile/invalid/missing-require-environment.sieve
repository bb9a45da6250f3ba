if environment :is "domain" "example.org" { keep; }
