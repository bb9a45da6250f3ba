redirect "plain@example.com";
