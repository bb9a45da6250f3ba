require ["fileinto", "variables", "mailbox"];
# File each list into its own folder, named after the List-Id.
if header :matches "List-Id" "*<*.*.*>*" {
  set :lower "list" "${2}";
  fileinto :create "Lists/${list}";
  stop;
}
if exists "List-Unsubscribe" {
  fileinto :create "Lists/unsorted";
  stop;
}
if header :is "Precedence" ["list", "bulk", "junk"] {
  fileinto "Bulk";
}
