require ["fileinto", "vacation"];
if header :contains "List-Id" "<dev.lists.example.org>" {
    fileinto "lists/dev";
    stop;
}
vacation :days 7 :subject "Away" "Back on Monday.";
