require ["reject", "envelope", "editheader"];
# A list address that refuses loops, auto-replies and non-members.
if anyof (header :contains "X-Loop" "list@example.org",
          header :is "Auto-Submitted" ["auto-replied", "auto-generated"],
          envelope :is "from" "") {
  discard;
  stop;
}
if not address :domain :is "from" ["example.org", "lists.example.org"] {
  reject "Only members may post to this list.";
  stop;
}
addheader "X-Loop" "list@example.org";
redirect "members@lists.example.org";
