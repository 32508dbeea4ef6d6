module github.com/qluster/qluster

go 1.26.8
