# Dates relative to the run's time (sieve-replay --now) and the
# environment (--remote-ip...): RFC 5260, RFC 5183.
require ["date", "index", "relational", "environment", "fileinto", "variables",
         "comparator-i;ascii-numeric"];

if not date :matches "date" "date" "*" {
    fileinto "no-date";
    stop;
}
if currentdate :matches "date" "*" { set "today" "${1}"; }
if date :is "date" "date" "${today}" {
    fileinto "today";
} elsif date :value "lt" "date" "date" "${today}" {
    fileinto "older";
} else {
    fileinto "future";
}
if date :originalzone :matches "date" "zone" "*" { fileinto "zone ${1}"; }
# --zone=+0100 makes the local zone CET
if date :is "date" "weekday" ["0", "6"] { fileinto "weekend (local)"; }
if date :index 1 :last :matches "received" "time" "*" { fileinto "first hop ${1}"; }
if environment :matches "remote-ip" "*" { fileinto "from ${1}"; }
if currentdate :matches "std11" "*" { fileinto "now ${1}"; }
