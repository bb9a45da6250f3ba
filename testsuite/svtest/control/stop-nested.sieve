redirect "first@example.com";
if true {
	if header :contains "subject" "control" {
		stop;
	}
}
redirect "second@example.com";
