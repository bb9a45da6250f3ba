# Exercises each action over the bundled sample messages.
require ["fileinto", "copy", "reject", "envelope", "subaddress", "variables", "body"];

if header :is "X-Spam-Flag" "YES" {
    fileinto "Spam";
    stop;
}
if exists "List-Id" {
    fileinto :copy "Lists";
}
if envelope :detail "to" "lists" {
    fileinto "Sub/lists";
}
if envelope :is "from" "" {
    discard;
    stop;
}
if header :contains "subject" "money" {
    reject "I do not want this.";
}
if header :matches "subject" "Odd *" {
    fileinto "Odd/${1}";
}
if body :raw :contains "From the start" {
    redirect "archive@example.org";
}
