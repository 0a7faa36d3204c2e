from registry_service.cli.main import main

raise SystemExit(main())
