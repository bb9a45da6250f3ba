redirect "a@b@example.org";
