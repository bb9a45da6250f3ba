exists "X-Spam";
