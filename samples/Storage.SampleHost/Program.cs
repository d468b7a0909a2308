using Storage.SampleHost;

SampleHost.Build(args).Run();
