namespace Ndhm.UnitTests;
