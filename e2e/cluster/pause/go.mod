module rollgate.dev/pause

go 1.24
