# RFC 6134: :list, valid_ext_list and redirect :list, as sieve-replay
# shows them with --list.
require ["extlists", "fileinto"];
if address :list "from" ":addrbook:default" {
    fileinto "Known";
} elsif valid_ext_list "tag:example.com,2026:team" {
    redirect :list "tag:example.com,2026:team";
}
