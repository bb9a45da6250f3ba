keep;
# final comment, newline follows
