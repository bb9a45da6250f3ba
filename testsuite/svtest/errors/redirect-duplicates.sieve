redirect "same@example.com";
redirect "same@example.com";
redirect "same@example.com";
redirect "same@example.com";
redirect "same@example.com";
redirect "same@example.com";
