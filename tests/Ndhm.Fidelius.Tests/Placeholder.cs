namespace Ndhm.Fidelius.Tests;
