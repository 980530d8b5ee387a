import ZwgkApp

ZwgkCommand.main()
