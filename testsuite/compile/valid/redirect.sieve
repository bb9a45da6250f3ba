if address :is "from" "boss@example.com" {
  redirect "me@mobile.example.net";
}
redirect "Bart Simpson <bart@example.org>";
redirect "x.y+tag@sub.example.org";
