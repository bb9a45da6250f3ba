require "fileinto";
if anyof (header :contains "List-Id" "dev", header :contains "List-Id" "users") {
    fileinto "lists";
} elsif exists "X-Spam" {
    discard;
} elsif allof (header :contains "List-Id" "users", header :is "Precedence" "bulk") {
    fileinto "bulk";
}
