redirect "r1@example.com";
redirect "r2@example.com";
redirect "r3@example.com";
redirect "r4@example.com";
