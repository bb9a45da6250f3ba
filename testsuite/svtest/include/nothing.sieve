# An included script without actions.
if false { discard; }
