using Ndhm.Registry.Facilities;

namespace Ndhm.UnitTests.Registry;

public sealed class GeoDistanceTests
{
    private static readonly GeoPoint Delhi = new(28.6139, 77.2090);
    private static readonly GeoPoint Mumbai = new(19.0760, 72.8777);

    [Fact]
    public void GivenDelhiAndMumbai_WhenTheHaversineDistanceIsComputed_ThenItIsAbout1150Km()
    {
        // Great-circle distance Delhi-Mumbai is ~1,148 km.
        Assert.InRange(Delhi.DistanceKmTo(Mumbai), 1145, 1152);
        Assert.Equal(Delhi.DistanceKmTo(Mumbai), Mumbai.DistanceKmTo(Delhi), 9);
    }

    [Fact]
    public void GivenTheSamePoint_WhenDistanceIsComputed_ThenZero()
    {
        Assert.Equal(0, Delhi.DistanceKmTo(Delhi), 9);
    }

    [Fact]
    public void GivenOneDegreeOfLatitude_ThenAbout111Km()
    {
        Assert.InRange(new GeoPoint(10, 76).DistanceKmTo(new GeoPoint(11, 76)), 111.1, 111.3);
    }

    [Theory]
    [InlineData(17.385, 78.4867, 10)]
    [InlineData(8.5, 76.9, 50)]
    [InlineData(34.1, 77.5, 200)]
    public void GivenARadius_ThenTheBoundingBoxContainsEveryPointOnTheCircle(double lat, double lon, double radiusKm)
    {
        var centre = new GeoPoint(lat, lon);
        var box = centre.BoundingBox(radiusKm);

        for (var bearing = 0; bearing < 360; bearing += 5)
        {
            var point = Destination(centre, bearing, radiusKm * 0.999);
            Assert.True(box.Contains(point), $"bearing {bearing}: {point} outside {box}");
        }
    }

    [Fact]
    public void GivenACircleCrossingTheAntimeridian_ThenTheBoxSpansAllLongitudes()
    {
        var box = new GeoPoint(0, 179.99).BoundingBox(50);

        Assert.Equal(-180, box.MinLongitude);
        Assert.Equal(180, box.MaxLongitude);
    }

    [Theory]
    [InlineData(91, 0)]
    [InlineData(-91, 0)]
    [InlineData(0, 181)]
    [InlineData(double.NaN, 0)]
    public void GivenAnOutOfRangeCoordinate_WhenCreated_ThenTheGivenCode(double lat, double lon)
    {
        Assert.Equal("X", Assert.Throws<Ndhm.Core.Errors.DomainException>(() => GeoPoint.Create(lat, lon, "X")).Code);
    }

    // Spherical destination point: start, initial bearing, distance.
    private static GeoPoint Destination(GeoPoint start, double bearingDegrees, double km)
    {
        var d = km / GeoPoint.EarthRadiusKm;
        var b = bearingDegrees * Math.PI / 180;
        var lat1 = start.Latitude * Math.PI / 180;
        var lon1 = start.Longitude * Math.PI / 180;
        var lat2 = Math.Asin(Math.Sin(lat1) * Math.Cos(d) + Math.Cos(lat1) * Math.Sin(d) * Math.Cos(b));
        var lon2 = lon1 + Math.Atan2(Math.Sin(b) * Math.Sin(d) * Math.Cos(lat1), Math.Cos(d) - Math.Sin(lat1) * Math.Sin(lat2));
        return new GeoPoint(lat2 * 180 / Math.PI, lon2 * 180 / Math.PI);
    }
}
